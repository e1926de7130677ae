# src/output: files of this room.
