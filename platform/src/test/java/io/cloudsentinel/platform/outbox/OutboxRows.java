package io.cloudsentinel.platform.outbox;

import static io.cloudsentinel.platform.Reactive.await;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;

/** Outbox rows for the outbox tests: one appended in its tenant's transaction, counts on the system path. */
final class OutboxRows {

    private final TenantTransactions transactions;
    private final OutboxWriter writer;

    OutboxRows(TenantTransactions transactions, OutboxWriter writer) {
        this.transactions = transactions;
        this.writer = writer;
    }

    void append(TenantId tenant, String topic, String payload) {
        await(() -> transactions.inTenant(tenant, connection -> writer.append(connection,
                OutboxMessage.forTenant(topic, EventHeaders.newEvent(tenant, null), payload))));
    }

    /** The first column of the one row the query answers, as a number. */
    long count(String sql) {
        return await(() -> transactions.asSystem(new SystemTask("outbox-test"), connection -> connection.query(sql)
                .execute().map(rows -> rows.iterator().next().getLong(0))));
    }
}
