package controlplane.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on the data directory, held for the life of the process: the operating system releases it when
 * the process ends, even by SIGKILL. Holding it proves that no other live service uses the directory, so whatever
 * PostgreSQL still runs there is an orphan of a killed process. The lock file holds the holder's pid, so that a
 * second process can say which one is in its way. Files generated into the directory are created only under this lock
 * ({@link SecretFile}). Blocking: take it from a worker.
 */
final class DataDirLock implements AutoCloseable {

  static final String FILE = "control-plane.lock";

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /** The expected failure of a second process on the same data directory; its message is the whole story. */
  static final class InUseException extends IOException {

    InUseException(Path dataDir, String holderPid) {
      super("the data directory " + dataDir + " is in use by another control-plane process"
          + (holderPid.isEmpty() ? "" : " (pid " + holderPid + ")") + "; stop it or use another dataDir");
    }
  }

  /** Takes the lock, or fails at once with {@link InUseException} when another process holds it. */
  static DataDirLock acquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    FileChannel channel = FileChannel.open(dataDir.resolve(FILE),
        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      String holder = holderPid(channel);
      channel.close();
      throw new InUseException(dataDir, holder);
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    return new DataDirLock(dataDir, channel, lock);
  }

  /** The data directory this lock holds. */
  Path dir() {
    return dir;
  }

  /** The pid the holder wrote, or "" when it wrote none yet. */
  private static String holderPid(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(32);
    channel.read(buf, 0);
    String pid = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
    return pid.matches("\\d+") ? pid : "";
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
