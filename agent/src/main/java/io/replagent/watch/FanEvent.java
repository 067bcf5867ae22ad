package io.replagent.watch;

import io.replagent.tree.RawNames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One event of a fanotify group that reports directory handles and names ({@code FAN_REPORT_DFID_NAME}): the
 * directory, by its handle, and the name in it the event is about; a rename ({@code FAN_RENAME}) carries both ends.
 *
 * @param entry the directory and name (the old ones of a rename); null for an overflow
 * @param to    the new directory and name of a rename, else null
 */
record FanEvent(long mask, Entry entry, Entry to) {

    static final long FAN_MODIFY = 0x2;
    static final long FAN_ATTRIB = 0x4;
    static final long FAN_CLOSE_WRITE = 0x8;
    static final long FAN_CREATE = 0x100;
    static final long FAN_DELETE = 0x200;
    static final long FAN_Q_OVERFLOW = 0x4000;
    static final long FAN_RENAME = 0x10000000L;
    static final long FAN_ONDIR = 0x40000000L;

    private static final int METADATA_VERSION = 3;
    private static final int INFO_DFID_NAME = 2;
    private static final int INFO_OLD_DFID_NAME = 10;
    private static final int INFO_NEW_DFID_NAME = 12;
    /** In an info record: type @0, len @2, fsid @4, struct file_handle @12 (handle_bytes, handle_type, bytes). */
    private static final int FSID = 4;
    private static final int HANDLE = 12;

    /**
     * @param dir  the directory's key: its filesystem id and struct file_handle, one char per byte
     * @param name raw; "." when the event is about the directory itself
     */
    record Entry(String dir, String name) {}

    boolean is(long bit) {
        return (mask & bit) != 0;
    }

    boolean isDir() {
        return is(FAN_ONDIR);
    }

    /** The struct file_handle in a directory key, as open_by_handle_at takes it. */
    static byte[] handle(String dirKey) {
        return RawNames.bytes(dirKey.substring(HANDLE - FSID));
    }

    /** The key of a directory from its filesystem id (8 bytes, as statfs gives f_fsid) and struct file_handle. */
    static String key(byte[] fsid, byte[] fileHandle, int fileHandleLength) {
        return RawNames.fromBytes(fsid, 0, 8) + RawNames.fromBytes(fileHandle, 0, fileHandleLength);
    }

    /** The events in what one read returned. */
    static List<FanEvent> parse(byte[] buffer, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, length).order(ByteOrder.nativeOrder());
        List<FanEvent> events = new ArrayList<>();
        for (int at = 0; at + 24 <= length; ) {
            int eventLength = b.getInt(at);
            int version = b.get(at + 4) & 0xff;
            if (version != METADATA_VERSION)
                throw new IOException("fanotify metadata version " + version + ", this agent reads version " + METADATA_VERSION);
            if (eventLength < 24 || at + eventLength > length) throw new IOException("fanotify event of " + eventLength + " bytes at " + at + " of " + length);
            int metadataLength = b.getShort(at + 6) & 0xffff;
            long mask = b.getLong(at + 8);
            Entry entry = null;
            Entry to = null;
            for (int info = at + metadataLength; info + 4 <= at + eventLength; ) {
                int type = b.get(info) & 0xff;
                int infoLength = b.getShort(info + 2) & 0xffff;
                if (infoLength < 4) break;
                if (type == INFO_DFID_NAME || type == INFO_OLD_DFID_NAME || type == INFO_NEW_DFID_NAME) {
                    Entry e = entry(buffer, info, infoLength, b.getInt(info + HANDLE));
                    if (type == INFO_NEW_DFID_NAME) to = e;
                    else entry = e;
                }
                info += infoLength;
            }
            events.add(new FanEvent(mask, entry, to));
            at += eventLength;
        }
        return events;
    }

    private static Entry entry(byte[] buffer, int info, int infoLength, int handleBytes) {
        int nameStart = info + HANDLE + 8 + handleBytes;
        int end = info + infoLength;
        int nameEnd = nameStart;
        while (nameEnd < end && buffer[nameEnd] != 0) nameEnd++;
        return new Entry(RawNames.fromBytes(buffer, info + FSID, nameStart - info - FSID),
                RawNames.fromBytes(buffer, nameStart, nameEnd - nameStart));
    }
}
