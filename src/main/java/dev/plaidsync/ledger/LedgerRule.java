package dev.plaidsync.ledger;

/**
 * What one investment transaction does to a position, by the rule its Plaid type and
 * subtype select ({@link PlaidSubtype}): its effect on units, basis, realized gain and
 * cash, as docs/ledger.md tabulates it. Direction comes from the rule, never from the
 * sign of {@code quantity} alone, except for the rules that move units either way
 * (transfers, splits, mergers), where the sign is all Plaid says.
 */
public enum LedgerRule {

	BUY(new Effect("in", "+ cash paid", "on the part that covers a short", "out")),

	REINVEST(new Effect("in", "+ cash paid", "none", "none (income paid and spent)")),

	SELL(new Effect("out", "- average cost", "proceeds - average cost", "in")),

	SELL_SHORT(new Effect("out, below zero", "- proceeds (a short's basis is negative)",
			"on the part that closes a long", "in")),

	BUY_TO_COVER(new Effect("in, up to zero", "+ cash paid", "short proceeds - cash paid", "out")),

	TRANSFER(new Effect("by sign", "in: unknown (incomplete); out: - average cost", "none", "none")),

	DISTRIBUTION(new Effect("out, in kind", "- average cost", "none", "out when no units move")),

	SPLIT(new Effect("by sign", "unchanged", "none", "none")),

	STOCK_DISTRIBUTION(new Effect("in", "unchanged", "none", "none")),

	RETURN_OF_CAPITAL(
			new Effect("none (with units: out, as a redemption)", "- cash received", "cash beyond the basis", "in")),

	EXPIRE(new Effect("all open units out", "to zero", "- basis (a long loses its premium, a short keeps it)", "none")),

	EXERCISE(new Effect("option: out; stock leg: by type", "option: carried out to the stock; stock: + cash", "none",
			"stock leg: by type")),

	MERGER(new Effect("by sign", "out: carried out to the new security; in: unknown (incomplete)", "none", "none")),

	SPIN_OFF(new Effect("in", "unknown (incomplete)", "none", "none")),

	FEE(new Effect("out when paid in units", "- average cost of the units", "none", "out")),

	INCOME(new Effect("none", "unchanged", "none (income, not a gain)", "in")),

	CASH(new Effect("none", "unchanged", "none", "by amount")),

	CANCEL(new Effect("removes itself and its original", "as if neither happened", "none", "none"));

	private final Effect effect;

	LedgerRule(Effect effect) {
		this.effect = effect;
	}

	public Effect effect() {
		return this.effect;
	}

	/**
	 * The effect, in words, on the position's units, its basis, its realized gain and the
	 * account's cash.
	 */
	public record Effect(String units, String basis, String realizedGain, String cash) {
	}

}
