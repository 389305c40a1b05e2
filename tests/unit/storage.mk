# storage.mk — host unit tests of the storage stack's pure logic: the ATA PIO protocol against a simulated channel.
UNIT_TESTS += ata
unit_ata_SRCS := tests/unit/test_ata.c drivers/ata.c kernel/lib/format.c
