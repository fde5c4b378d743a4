package dev.plaidsync.plaid;

import java.time.LocalDate;
import java.util.List;

import com.plaid.client.model.AccountBase;
import com.plaid.client.model.InvestmentTransaction;
import com.plaid.client.model.Item;
import com.plaid.client.model.Security;

/**
 * Every page of {@code /investments/transactions/get} for one window. {@code complete} is
 * true only when the pages reached Plaid's total and the total held still across them;
 * only then may stored rows that Plaid no longer returns be deleted.
 *
 * @param totalHeldStill false when {@code total_investment_transactions} changed between
 * pages
 */
public record InvestmentTransactionsWindow(LocalDate startDate, LocalDate endDate,
		List<InvestmentTransaction> transactions, List<Security> securities, List<AccountBase> accounts, Item item,
		int totalReported, int pages, boolean complete, boolean totalHeldStill) {
}
