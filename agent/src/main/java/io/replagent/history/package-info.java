/**
 * Version history on a target: what replication replaces or deletes is kept under the target's reserved
 * {@code .agent/} directory, a journal says what each batch did to each path, and restores, version listings and
 * retention are planned from those by pure code. Depends on {@code state}, {@code tree} and {@code system} only.
 *
 * <h2>On the target</h2>
 * <pre>
 * .agent/history/2026-12-01T08:15:02.123Z/a/b.txt   the copy of a/b.txt that batch 08:15:02.123Z replaced or deleted
 * .agent/journal/2026-12-01T08:00:00.000Z.log       what batches from 08:00:00 on created, replaced and deleted
 * </pre>
 * A batch directory is named by the UTC time the batch started (millisecond precision, strictly increasing per
 * target), so its versions are those current until that time. A journal line is
 * {@code BATCH TAB created|replaced|deleted TAB PATH}, or {@code BATCH TAB moved TAB FROM TAB TO} for a file of a
 * renamed directory deleted without a copy because the move linked it to its new name
 * ({@link io.replagent.history.Journal}, {@link io.replagent.history.MovedAway}); the journal is
 * written to {@code state_dir} after each rsync and uploaded to the target off the hot path, so a restore works
 * when the source host is lost (then without the tail not uploaded yet).
 *
 * <h2>rsync facts this rests on (rsync 3.5.0 of Debian 12, daemon with use chroot yes and no)</h2>
 * <ul>
 * <li>{@code --backup --backup-dir=D} moves every file a push replaces or deletes into D at its path relative to the
 *     destination argument ({@code --delete}, {@code --delete-missing-args} with {@code --files-from} alike; the
 *     files of a deleted directory one by one, each with its own {@code *deleting} line). An empty directory that
 *     is deleted is not kept. An attribute-only change ({@code .f...p.....}) keeps nothing; with
 *     {@code --ignore-times} every listed file is re-sent and its old copy kept even when identical.</li>
 * <li>rsync protects only the current backup directory from {@code --delete}: the other batches' directories are
 *     deleted (and backed up into the current one) unless {@code .agent/} is excluded ({@code --exclude=/.agent/}).</li>
 * <li>A destination below the target root (a moved directory {@code dest/to/}) needs the prefix appended:
 *     {@code D/to}; D itself is relative to that destination.</li>
 * <li>Over a daemon with {@code use chroot = no}, a leading {@code ../} of {@code --backup-dir} and
 *     {@code --temp-dir} is stripped (they are sanitised at depth 0, unlike {@code --link-dest}): from a destination
 *     {@code B/}, {@code --backup-dir=../.agent/history/T/B} lands in {@code B/.agent/...}, inside the mirror, and
 *     {@code --temp-dir=../.agent/tmp} fails with exit 1 ("The temp-dir does not exist"). A module-absolute path
 *     ({@code /.agent/history/T/B}, or {@code /sub/.agent/...} for a url with a path) means the module's root with
 *     chroot yes and no; a local target takes its absolute path. {@link io.replagent.history.Layout} builds these.</li>
 * <li>{@code --link-dest} replaces an existing, different file at the destination by a hard link without keeping
 *     it (no backup, and at {@code -i} no output line); new hard-linked files are itemized only at {@code -ii}
 *     ({@code hf}; {@code --info=name2} with {@code --out-format} does not list them). {@code --copy-dest} does keep
 *     the replaced file. With history, a move is sent with {@code --ignore-existing}, without {@code --delete}, at
 *     {@code -ii}, and a destination that already existed is sent again by a push by content with {@code --backup}.</li>
 * <li>{@code --backup} of a delete costs about 70 µs a file (5,000 files: 0.35 s, a plain delete 0.09 s; strace:
 *     11 openat and 13 stat a file, rsync's per-component safe path walks); two deletes side by side are slower
 *     (0.49 s), so a renamed directory linked whole is deleted without it ({@link io.replagent.history.MovedAway}).
 *     A move's {@code hf}/{@code hL} items at {@code -ii} are the files {@code --link-dest} linked from the basis
 *     (with {@code -H}, a link inside the transfer is itemized alike: then nothing is read from them).</li>
 * <li>{@code --copy-dest} with a relative {@code --temp-dir=../x} fails (mkstemp EINVAL); absolute temp dirs work.</li>
 * <li>A missing file that {@code --copy-dest} copies from its basis (a renamed file's link-phase copy) is itemized
 *     {@code cf} only at {@code -ii}: the pushes that have such a basis print at {@code -ii}.</li>
 * <li>A {@code --files-from} <em>pull</em> whose source is a subdirectory of a module ({@code rsync://h/m/sub/}) reports
 *     every file as vanished (exit 24) with {@code use chroot = no}; from the module root it works. Restores pull from
 *     the module root with lines {@code sub/.agent/history/B/./PATH}: the {@code /./} makes PATH the name at the
 *     destination. Pushes with files-from to a subdirectory are not affected.</li>
 * <li>The client sees {@code *deleting} lines of daemon pushes. Names in {@code %n} and {@code --list-only} escape
 *     bytes rsync cannot print as {@code \#ooo} (octal) and a backslash before {@code #} as {@code \#134}; valid
 *     UTF-8 passes raw in a UTF-8 locale. {@code --list-only --no-h} prints sizes without separators and times in
 *     the client's time zone at second precision (so versions are timed by their batch, not by mtime).</li>
 * </ul>
 */
package io.replagent.history;
