package io.replagent.testing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An end-to-end test run once per watch backend, inotify and fanotify; it takes the {@code Settings.WatchBackend} to
 * use as its parameter (a state built with {@link Watches#state(java.nio.file.Path, io.replagent.state.Settings.WatchBackend,
 * io.replagent.state.Watch...)} skips the fanotify run where fanotify cannot work, saying why).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@EnumSource(names = {"INOTIFY", "FANOTIFY"})
public @interface BothBackends {}
