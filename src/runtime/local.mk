# src/runtime: files of this room.
