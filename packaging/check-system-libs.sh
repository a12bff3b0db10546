#!/usr/bin/env bash
# Say exactly which system libraries Qt needs and how to install them, before pip or Qt fails
# with a misleading message. Exit 1 when something is missing.
set -u
declare -A need=(
  [libEGL.so.1]=libegl1 [libGL.so.1]=libgl1 [libxkbcommon.so.0]=libxkbcommon0
  [libfontconfig.so.1]=libfontconfig1 [libdbus-1.so.3]=libdbus-1-3 [libglib-2.0.so.0]=libglib2.0-0
)
# Only for a real window (make run with a display): the xcb platform plugin's libraries.
if [ -n "${DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != offscreen ]; then
  need+=([libxkbcommon-x11.so.0]=libxkbcommon-x11-0 [libxcb-cursor.so.0]=libxcb-cursor0
    [libxcb-icccm.so.4]=libxcb-icccm4 [libxcb-image.so.0]=libxcb-image0
    [libxcb-keysyms.so.1]=libxcb-keysyms1 [libxcb-render-util.so.0]=libxcb-render-util0
    [libxcb-shape.so.0]=libxcb-shape0)
fi
missing=()
have=$(/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null)
for lib in "${!need[@]}"; do
  grep -q "$lib" <<<"$have" || missing+=("${need[$lib]}")
done
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then missing+=(python3-venv); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "sarapp needs these Debian/Ubuntu packages for Qt, which this machine lacks:" >&2
  echo "  ${missing[*]}" >&2
  echo "install them with:" >&2
  echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
