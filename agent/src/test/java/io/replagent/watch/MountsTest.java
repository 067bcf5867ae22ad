package io.replagent.watch;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountsTest {

    @Test void readsIdMountPointTypeAndSourceWithOptionalFieldsAndEscapes() {
        Map<Long, Mounts.Mount> mounts = Mounts.parse("""
                22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
                87 22 0:45 / /mnt/my\\040disk\\134x rw,relatime shared:40 master:2 - tmpfs agent\\040test rw
                garbage line
                """);
        assertEquals(new Mounts.Mount(22, "/", "ext4", "/dev/vda"), mounts.get(22L));
        assertEquals(new Mounts.Mount(87, "/mnt/my disk\\x", "tmpfs", "agent test"), mounts.get(87L));
        assertEquals(2, mounts.size());
    }

    @Test void theRealTableHasTheRootMount() throws Exception {
        assertTrue(Mounts.read().values().stream().anyMatch(m -> m.mountPoint().equals("/")));
    }

    @Test void aBackslashThatIsNoEscapeStays() {
        assertEquals("a\\b\\04", Mounts.unescape("a\\b\\04"));
    }
}
