package dev.plaidsync.common;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedPostgresServerTests {

	@Test
	void dataWrittenBeforeARestartIsThereAfterIt(@TempDir Path dataDirectory) throws Exception {
		try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory)) {
			JdbcClient jdbc = jdbc(server);
			jdbc.sql("CREATE TABLE survivors (name text)").update();
			jdbc.sql("INSERT INTO survivors VALUES ('written before the restart')").update();
		}

		try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory)) {
			assertThat(jdbc(server).sql("SELECT name FROM survivors").query(String.class).list())
				.containsExactly("written before the restart");
			assertThat(jdbc(server).sql("SHOW synchronous_commit").query(String.class).single()).isEqualTo("on");
			assertThat(jdbc(server).sql("SHOW fsync").query(String.class).single()).isEqualTo("on");
		}
	}

	private static JdbcClient jdbc(EmbeddedPostgresServer server) {
		return JdbcClient.create(new DriverManagerDataSource(server.jdbcUrl("postgres"), "postgres", ""));
	}

}
