package controlplane.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on the data directory, held for the life of the process: the operating system releases it when
 * the process ends, even by SIGKILL. Holding it proves that no other live service uses the directory, so whatever
 * PostgreSQL still runs there is an orphan of a killed process. Blocking: take it from a worker.
 */
final class DataDirLock implements AutoCloseable {

  static final String FILE = "control-plane.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock, or fails at once when another process holds it. */
  static DataDirLock acquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    FileChannel channel = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new IOException("the data directory " + dataDir + " is in use by another control-plane process");
    }
    return new DataDirLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
