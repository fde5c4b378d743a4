package dev.plaidsync.plaid;

/**
 * What the gateway needs to call Plaid for one Item. The access token never appears in
 * {@link #toString()}.
 */
public record ItemAccess(String itemId, String institutionId, String accessToken) {

	@Override
	public String toString() {
		return "ItemAccess[itemId=" + this.itemId + ", institutionId=" + this.institutionId + "]";
	}

}
