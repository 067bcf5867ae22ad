package io.replagent.watch;

import io.replagent.tree.RawNames;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Buffers laid out as the kernel writes them (fanotify(7)), parsed without a kernel. */
class FanEventTest {

    private static final byte[] FSID = {1, 2, 3, 4, 5, 6, 7, 8};

    /** An info record: header, fsid, struct file_handle, then the NUL-terminated name, padded to 4 bytes. */
    static byte[] info(int type, byte[] handle, String name) {
        byte[] nameBytes = RawNames.bytes(name);
        int length = (4 + 8 + 8 + handle.length + nameBytes.length + 1 + 3) / 4 * 4;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.put((byte) type).put((byte) 0).putShort((short) length).put(FSID)
                .putInt(handle.length).putInt(1).put(handle).put(nameBytes);
        return b.array();
    }

    static byte[] event(long mask, byte[]... infos) {
        int length = 24;
        for (byte[] i : infos) length += i.length;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putInt(length).put((byte) 3).put((byte) 0).putShort((short) 24).putLong(mask).putInt(-1).putInt(4242);
        for (byte[] i : infos) b.put(i);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @Test void anEntryEventARenameAndAnOverflowInOneRead() throws IOException {
        byte[] dir = {9, 9, 9, 9, 9, 9, 9, 9};
        byte[] other = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
        byte[] buffer = concat(
                event(FanEvent.FAN_CREATE | FanEvent.FAN_CLOSE_WRITE, info(2, dir, "f\u00e9 x")),
                event(FanEvent.FAN_RENAME | FanEvent.FAN_ONDIR, info(10, dir, "old"), info(12, other, "new")),
                event(FanEvent.FAN_Q_OVERFLOW));
        List<FanEvent> events = FanEvent.parse(buffer, buffer.length);
        assertEquals(3, events.size());
        FanEvent create = events.get(0);
        assertEquals(FanEvent.FAN_CREATE | FanEvent.FAN_CLOSE_WRITE, create.mask());
        assertEquals("f\u00e9 x", create.entry().name(), "raw: one char per byte");
        assertNull(create.to());
        FanEvent rename = events.get(1);
        assertEquals("old", rename.entry().name());
        assertEquals("new", rename.to().name());
        assertEquals(true, rename.isDir());
        assertEquals(false, rename.entry().dir().equals(rename.to().dir()));
        assertNull(events.get(2).entry());
        byte[] fileHandle = FanEvent.handle(create.entry().dir());
        ByteBuffer h = ByteBuffer.wrap(fileHandle).order(ByteOrder.nativeOrder());
        assertEquals(8, h.getInt(0), "handle_bytes");
        assertEquals(1, h.getInt(4), "handle_type");
        assertArrayEquals(dir, java.util.Arrays.copyOfRange(fileHandle, 8, 16));
        assertEquals(create.entry().dir(), FanEvent.key(FSID, fileHandle, fileHandle.length), "events and probes agree on keys");
    }

    @Test void anotherMetadataVersionIsAnError() {
        byte[] buffer = event(FanEvent.FAN_CREATE, info(2, new byte[8], "f"));
        buffer[4] = 4;
        assertThrows(IOException.class, () -> FanEvent.parse(buffer, buffer.length));
    }

    @Test void aTruncatedEventIsAnError() {
        byte[] buffer = event(FanEvent.FAN_CREATE, info(2, new byte[8], "f"));
        assertThrows(IOException.class, () -> FanEvent.parse(buffer, buffer.length - 4));
    }
}
