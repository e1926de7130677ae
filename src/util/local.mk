# src/util: files of this room.
