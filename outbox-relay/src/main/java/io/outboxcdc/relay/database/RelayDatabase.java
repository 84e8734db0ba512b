package io.outboxcdc.relay.database;

import io.outboxcdc.relay.RelayProperties;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.stereotype.Component;

/**
 * Plain connections to the orders database as the relay's role. No pool: the relay needs one long-lived
 * connection (the leadership lock) and an occasional short one (preflight, slot metrics).
 */
@Component
public class RelayDatabase {

    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();
    private final String url;

    public RelayDatabase(RelayProperties properties) {
        RelayProperties.Database db = properties.database();
        url = db.jdbcUrl();
        dataSource.setUrl(url);
        dataSource.setUser(db.username());
        dataSource.setPassword(db.password());
        dataSource.setApplicationName("outbox-relay");
        dataSource.setConnectTimeout(5);
        dataSource.setSocketTimeout(30);
        dataSource.setTcpKeepAlive(true);
    }

    public Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    public String url() {
        return url;
    }
}
