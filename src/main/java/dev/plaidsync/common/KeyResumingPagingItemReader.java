package dev.plaidsync.common;

import javax.sql.DataSource;

import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.PagingQueryProvider;

/**
 * A paging reader that resumes after the saved sort key, never by counting items. Use it with a page size equal to
 * the chunk size, so that each commit ends a page and the saved key is that of the last committed item.
 * <p>
 * Batch's paging reader also skips the restored item count, modulo the page size, within the first page it reads
 * on a restart. That loses items when the page size changed between the run and its restart, or when the query's
 * filter (such as a sweep skipping freshly synced items) now excludes rows it had counted.
 */
public class KeyResumingPagingItemReader<T> extends JdbcPagingItemReader<T> {

	public KeyResumingPagingItemReader(DataSource dataSource, PagingQueryProvider query) {
		super(dataSource, query);
	}

	@Override
	protected void jumpToItem(int itemIndex) throws Exception {
		super.jumpToItem((itemIndex > 0) ? getPageSize() : 0);
	}

}
