# src/decode: files of this room.
