import ArgumentParser

@main
struct Yachaq: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yachaq",
        abstract: "Yachaq: the registry and market for local talents (yachaq, yachachiq) of the Peruvian highlands.",
        discussion: """
            Environment variables (a flag, when given, wins):
              DATABASE_URL         postgres://user:password@host:5432/db?sslmode=require
                                   (absent: an embedded PostgreSQL in --data-dir)
              DATABASE_READ_URL    a streaming replica of it: search, matching, reports and exports
                                   read there while it is current (users still read their writes)
              YACHAQ_READ_MAX_LAG_MS  replica further behind than this is not read (default 5000)
              YACHAQ_DATA_DIR      folder of the embedded cluster (default ./.yachaq/pg)
              HOST, PORT           where `serve` listens (default 127.0.0.1, 8080)
              YACHAQ_SESSION_DAYS  how long a sign-in token lives (default 30)
              YACHAQ_CONNECTION_WAIT_MS  wait for a database connection, then 503 (default 1000)
              YACHAQ_STATEMENT_TIMEOUT_MS  cancel a longer statement, 503 (default 5000)
              YACHAQ_REQUEST_TIMEOUT_MS  cancel a longer request, 503 (default 10000)
              YACHAQ_TRUSTED_PROXIES  reverse proxies whose X-Forwarded-For is believed (comma-separated)
              LOG_LEVEL            trace … critical (default info; debug logs every request)
              LOG_FORMAT           text (default) or json: one object per line, with hb.request.id
              OTEL_EXPORTER_OTLP_ENDPOINT  an OTLP/HTTP collector: a span for every request
              YACHAQ_ASSETS_DIR    folder of SQL/, Pages/ and openapi.yaml to use instead of the
                                   copies in the binary (`yachaq assets export DIR` writes them)
              YACHAQ_PG_BIN        folder of initdb and pg_ctl (default: PATH, then /usr/lib/postgresql/*/bin)
            """,
        subcommands: [
            Serve.self, Migrate.self, SchemaCommand.self, Seed.self, UserCommand.self, ImportCommand.self, ExportCommand.self, Bench.self,
            BackupCommand.self, RestoreCommand.self, AssetsCommand.self, VersionCommand.self,
        ]
    )
}
