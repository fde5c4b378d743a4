package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.time.Duration;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Cost basis comparison and reconciliation.
 *
 * @param costBasisTolerance a holding's computed and Plaid cost basis differ when apart
 * by more than this amount...
 * @param costBasisToleranceRatio ...and by more than this share of Plaid's
 * @param quantityTolerance rounding allowed between a snapshot's quantity change and its
 * transactions' sum
 * @param reconciliationLookback how far back snapshot pairs are checked
 * @param metricsInterval how often the reconciliation gauges are read from the database
 * @param settlementBusinessDays opposite breaks of a security netting to zero within this
 * many business days are one timing difference (never alerted), and a break alerts only
 * once older than this
 */
@Validated
@ConfigurationProperties("plaidsync.ledger")
public record LedgerProperties(@DecimalMin("0") @DefaultValue("1.00") BigDecimal costBasisTolerance,
		@DecimalMin("0") @DefaultValue("0.005") BigDecimal costBasisToleranceRatio,
		@DecimalMin("0") @DefaultValue("0.0001") BigDecimal quantityTolerance,
		@DefaultValue("35d") Duration reconciliationLookback, @DefaultValue("30s") Duration metricsInterval,
		@Min(0) @Max(30) @DefaultValue("3") int settlementBusinessDays) {
}
