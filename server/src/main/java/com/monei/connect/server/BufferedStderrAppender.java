package com.monei.connect.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * stderr through a 64 KiB buffer that a daemon thread flushes every 100 ms; warnings and errors are
 * flushed at once. Each line is encoded on the logging thread and only copied into the buffer under
 * the lock. At 30,000 requests a second, logback's asynchronous queue woke its worker for every
 * request line, and the worker made a write(2) for each: about a seventh of the server's CPU.
 */
final class BufferedStderrAppender extends OutputStreamAppender<ILoggingEvent> {
  static final long FLUSH_EVERY_MS = 100;

  private volatile Thread flusher;

  @Override
  public void start() {
    setImmediateFlush(false);
    setOutputStream(new BufferedOutputStream(new CurrentStderr(), 1 << 16));
    super.start();
    Thread thread = new Thread(this::flushPeriodically, "log-flush");
    thread.setDaemon(true);
    thread.start();
    flusher = thread;
  }

  @Override
  protected void subAppend(ILoggingEvent event) {
    super.subAppend(event);
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) flush();
  }

  @Override
  public void stop() {
    Thread thread = flusher;
    if (thread != null) thread.interrupt();
    super.stop(); // closes the buffer, which flushes it
  }

  /** Whatever System.err is when the buffer is flushed (test runners replace it); never closed. */
  private static final class CurrentStderr extends OutputStream {
    @Override
    public void write(int b) {
      System.err.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      System.err.write(bytes, offset, length);
    }

    @Override
    public void flush() {
      System.err.flush();
    }
  }

  private void flushPeriodically() {
    while (isStarted()) {
      try {
        Thread.sleep(FLUSH_EVERY_MS);
      } catch (InterruptedException stopping) {
        return;
      }
      flush();
    }
  }

  private void flush() {
    streamWriteLock.lock();
    try {
      if (getOutputStream() != null) getOutputStream().flush();
    } catch (IOException stderrGone) {
      // Nowhere left to report it.
    } finally {
      streamWriteLock.unlock();
    }
  }
}
