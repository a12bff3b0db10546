"""What arrives from outside about a distress: beacons, SIT 185 messages, AIS."""
