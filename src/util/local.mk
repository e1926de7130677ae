# src/util: small helpers shared by every room.
libvigil_a_SOURCES += \
	src/util/hash.c src/util/hash.h \
	src/util/log.c src/util/log.h \
	src/util/spinlock.h
