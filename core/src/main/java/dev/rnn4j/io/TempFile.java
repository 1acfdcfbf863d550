package dev.rnn4j.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The temporary file of one save: {@code .<target name>.<16 lowercase hex digits>.tmp} in the target's directory,
 * created new (never an existing file, never through a link) and held under an exclusive {@link FileLock} from just
 * after its creation until it has been renamed to the target or deleted.
 *
 * <p>The lock is how {@link StaleTemporaries} tells a live save from the leftover of a killed one: the operating
 * system drops a process's locks when it dies. Saves in this JVM are also listed in {@link #inFlight}, because the
 * cleanup must not even open them: on POSIX systems closing any channel to a file drops all of the process's locks
 * on it.
 */
final class TempFile {

  private static final System.Logger LOG = System.getLogger(TempFile.class.getName());

  /** File names of this JVM's temporary files between creation and release. */
  private static final Set<String> IN_FLIGHT = ConcurrentHashMap.newKeySet();

  /** Attempts before giving up when concurrent cleanups keep taking a brand-new file (practically never twice). */
  private static final int ATTEMPTS = 4;

  private final Path path;
  private final FileChannel channel;

  private TempFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /** The name a temporary file of {@code target} gets: {@code .<name>.<random as 16 hex digits>.tmp}. */
  static String name(Path target, long random) {
    return "." + target.getFileName() + "." + String.format(Locale.ROOT, "%016x", random) + ".tmp";
  }

  /** Whether a save in this JVM is writing the temporary file called {@code fileName} right now. */
  static boolean inFlight(String fileName) {
    return IN_FLIGHT.contains(fileName);
  }

  /**
   * Creates and locks a new temporary file for {@code target} (an absolute path).
   *
   * <p>Between creating the file and locking it, another process's cleanup could take the unlocked new file for a
   * stale one and delete it; so after locking, the file must still exist under its name, and if it does not (or the
   * other process holds the lock while deleting it) a file with a new random name is made instead.
   */
  static TempFile create(Path target) throws IOException {
    Path dir = target.getParent();
    for (int attempt = 1; ; attempt++) {
      String name = name(target, ThreadLocalRandom.current().nextLong());
      Path path = dir.resolve(name);
      IN_FLIGHT.add(name);
      FileChannel channel = null;
      try {
        // CREATE_NEW: never reuse or follow an existing file; the new file gets the process's default permissions.
        channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
        if (lock(channel, path) && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
          return new TempFile(path, channel);
        }
      } catch (IOException | RuntimeException | Error e) {
        IN_FLIGHT.remove(name);
        if (channel != null) {
          closeQuietly(channel, e);
          deleteQuietly(path, e);
        }
        throw e;
      }
      channel.close();
      IN_FLIGHT.remove(name);
      if (attempt == ATTEMPTS) {
        throw new IOException("safetensors write: " + ATTEMPTS + " new temporary files for " + target
            + " were removed by concurrent cleanups before they could be locked");
      }
      LOG.log(System.Logger.Level.DEBUG, "temporary file {0} was taken by a concurrent cleanup; trying another name",
          path);
    }
  }

  /**
   * Locks the new file; true if this save holds the lock, or if the file system has no locks (then nothing better
   * can be done: the cleanup cannot lock either, so it leaves every temporary file alone). False if someone else holds
   * it, which for a file just created can only be a cleanup that is about to delete it.
   */
  private static boolean lock(FileChannel channel, Path path) {
    try {
      return channel.tryLock() != null;
    } catch (IOException | UnsupportedOperationException e) {
      LOG.log(System.Logger.Level.DEBUG, "cannot lock {0} ({1}); the save runs unlocked", path, e);
      return true;
    } catch (OverlappingFileLockException e) {
      return false;
    }
  }

  Path path() {
    return path;
  }

  /** The open, locked channel; closing it releases the lock. */
  FileChannel channel() {
    return channel;
  }

  /** Ends this save's claim: after the channel was closed and the file renamed or deleted. */
  void release() {
    IN_FLIGHT.remove(path.getFileName().toString());
  }

  private static void closeQuietly(FileChannel channel, Throwable primary) {
    try {
      channel.close();
    } catch (IOException suppressed) {
      primary.addSuppressed(suppressed);
    }
  }

  private static void deleteQuietly(Path path, Throwable primary) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException suppressed) {
      primary.addSuppressed(suppressed);
    }
  }
}
