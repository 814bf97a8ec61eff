import { SetMetadata, Type } from '@nestjs/common';
import type { GroupRef } from '../../database/transaction-groups';

export const TRANSACTION_GROUP = 'wrx:transactionGroup';

/** A provider that names the group (`Db.rootTransaction`) of a route's transaction from its path parameters, or none. */
export interface GroupResolver {
  groupOf(params: Record<string, string>): Promise<GroupRef | undefined>;
}

/**
 * The group the transaction of a request with an Idempotency-Key joins: that interceptor
 * opens the transaction before the handler runs, so it asks the same provider the
 * handler's service asks.
 */
export const TransactionGroup = (resolver: Type<GroupResolver>) => SetMetadata(TRANSACTION_GROUP, resolver);
