package io.replagent.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidLockTest {

    @TempDir Path dir;

    @Test void oneHolderAtATimeNamedByItsPid() throws Exception {
        Path file = dir.resolve("sub/x.lock");
        try (PidLock lock = PidLock.tryAcquire(file)) {
            assertEquals(file, lock.file());
            PidLock.HeldException held = assertThrows(PidLock.HeldException.class, () -> PidLock.tryAcquire(file));
            assertEquals(Optional.of(ProcessHandle.current().pid()), held.holder());
            Files.readAllBytes(file); // another descriptor opened and closed: a flock survives it
            assertThrows(PidLock.HeldException.class, () -> PidLock.tryAcquire(file));
        }
        PidLock.tryAcquire(file).close();
    }
}
