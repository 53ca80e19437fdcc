package controlplane.config;

import controlplane.core.ConfigurationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.function.Supplier;

/**
 * A secret generated into the data directory (the sealing key, the development JWT secret, the embedded database's
 * password): written once under its final name (never through a rename, which would replace a file another process
 * made), mode 0600, flushed to disk with its directory entry before anything uses it, and never replaced. Created only
 * under the data directory's lock. Blocking.
 */
final class SecretFile {

  private SecretFile() {
  }

  /** The secret in {@code name} under the locked directory; when there is no such file, {@code generate}'s, stored. */
  static String readOrCreate(DataDirLock lock, String name, Supplier<String> generate) throws IOException {
    Path file = lock.dir().resolve(name);
    if (Files.exists(file)) {
      return read(file);
    }
    String value = generate.get();
    try (FileChannel channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer bytes = ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    } catch (FileAlreadyExistsException raced) {
      return read(file);
    }
    try (FileChannel dir = FileChannel.open(lock.dir(), StandardOpenOption.READ)) {
      dir.force(true);
    }
    return value;
  }

  /** The secret a file holds (its trimmed text). */
  static String read(Path file) throws IOException {
    String value = Files.readString(file, StandardCharsets.US_ASCII).trim();
    if (value.isEmpty()) {
      // Only a process stopped between creating the file and writing it leaves it empty: nothing used it yet.
      throw new ConfigurationException(file + " is empty (a start was interrupted while writing it); delete it to "
          + "have it generated again");
    }
    return value;
  }
}
