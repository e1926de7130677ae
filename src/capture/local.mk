# src/capture: files of this room.
