package dev.rnn4j.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Removes the temporary files that interrupted saves of one target left behind (a JVM killed mid-write cannot delete
 * its own). Called at the start of each save of that target, before it needs disk space.
 *
 * <p>A file is removed only if all of these hold: it is in the target's directory; its name is exactly
 * {@code .<target name>.<1 to 16 lowercase hex digits>.tmp} (the saves' naming); it is a regular file, not a link;
 * it is not a save running in this JVM; and an exclusive lock on it can be taken right now, which proves that no
 * process is writing it (every save holds that lock until its file is renamed, and the operating system releases the
 * locks of a process that dies). The file is deleted while the lock is held. Anything else in the directory is never
 * touched, and any problem (no permission, no locks on this file system) leaves the file where it is: cleaning up is
 * best effort and never fails a save.
 */
final class StaleTemporaries {

  private static final System.Logger LOG = System.getLogger(StaleTemporaries.class.getName());

  private StaleTemporaries() {
  }

  /** The names of {@code target}'s temporary files. */
  static Pattern pattern(Path target) {
    return Pattern.compile("\\." + Pattern.quote(target.getFileName().toString()) + "\\.[0-9a-f]{1,16}\\.tmp");
  }

  /** Removes {@code target}'s stale temporary files; returns how many (for tests and the log). */
  static int remove(Path target) {
    Path dir = target.getParent();
    Pattern pattern = pattern(target);
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
        p -> pattern.matcher(p.getFileName().toString()).matches())) {
      for (Path candidate : entries) {
        if (removeIfStale(candidate)) {
          removed++;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "could not look for stale temporary files of {0}: {1}", target, e);
    }
    return removed;
  }

  private static boolean removeIfStale(Path candidate) {
    if (TempFile.inFlight(candidate.getFileName().toString())
        || !Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        return false;
      }
      if (lock == null) {
        return false; // a live save in another process
      }
      long bytes = channel.size();
      boolean deleted = Files.deleteIfExists(candidate);
      if (deleted) {
        LOG.log(System.Logger.Level.INFO, "removed {0} ({1} bytes), left by an interrupted save", candidate, bytes);
      }
      return deleted;
    } catch (IOException | UnsupportedOperationException e) {
      LOG.log(System.Logger.Level.WARNING, "left " + candidate + " in place: could not check or remove it", e);
      return false;
    }
  }
}
