# src/flow: files of this room.
