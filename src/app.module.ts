import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessInterceptor } from './common/auth/access.interceptor';
import { ApiKeyGuard } from './common/auth/api-key.guard';
import { BearerStrategy } from './common/auth/bearer.strategy';
import { isPublicInformation, PER_ADDRESS, PER_KEY, RateLimitGuard } from './common/auth/rate-limit.guard';
import { SharedThrottlerStorage } from './common/auth/shared-throttler-storage';
import { IdempotencyInterceptor } from './common/idempotency/idempotency.interceptor';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { QueryParamsGuard } from './common/validation/query-params';
import { AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source';
import { DatabaseModule } from './database/database.module';
import { AnnouncementsModule } from './modules/announcements/announcements.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuditLogModule } from './modules/audit-log/audit-log.module';
import { HealthController } from './modules/health/health.controller';
import { MetricsModule } from './modules/metrics/metrics.module';
import { ParticipantsModule } from './modules/participants/participants.module';
import { RegionsModule } from './modules/regions/regions.module';
import { MaintenanceModule } from './modules/maintenance/maintenance.module';
import { LedgerModule } from './modules/ledger/ledger.module';
import { RightsModule } from './modules/rights/rights.module';
import { MarketsModule } from './modules/markets/markets.module';
import { OrdersModule } from './modules/orders/orders.module';
import { TradesModule } from './modules/trades/trades.module';
import { TransfersModule } from './modules/transfers/transfers.module';
import { EventsModule } from './modules/events/events.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { DisclosureModule } from './modules/disclosure/disclosure.module';
import { ReportsModule } from './modules/reports/reports.module';
import { AuctionsModule } from './modules/auctions/auctions.module';
import { ProjectsModule } from './modules/projects/projects.module';
import { RightTransfersModule } from './modules/right-transfers/right-transfers.module';
import { RegionalTradesModule } from './modules/regional-trades/regional-trades.module';
import { ApprovalsModule } from './modules/approvals/approvals.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl, { poolSize: config.dbPoolSize, prepared: config.dbPreparedStatements, randomPageCost: config.dbRandomPageCost })),
        DatabaseModule.forRoot(config),
        PassportModule,
        TerminusModule,
        ScheduleModule.forRoot(),
        ThrottlerModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            throttlers: [
              { name: PER_KEY, ttl: 60_000, limit: Math.max(config.rateLimitPerMinute, 1), skipIf: (ctx) => config.rateLimitPerMinute === 0 || isPublicInformation(ctx) },
              { name: PER_ADDRESS, ttl: 60_000, limit: Math.max(config.publicRateLimitPerMinute, 1), skipIf: (ctx) => config.publicRateLimitPerMinute === 0 || !isPublicInformation(ctx) },
            ],
            // Counted in PostgreSQL, so instances on one database share each budget (decision 0019).
            storage: new SharedThrottlerStorage(dataSource),
          }),
        }),
        IdempotencyModule,
        MetricsModule,
        AuditModule,
        AuditLogModule,
        AnnouncementsModule,
        RegionsModule,
        ParticipantsModule,
        MaintenanceModule,
        LedgerModule,
        RightsModule,
        TradesModule,
        MarketsModule,
        OrdersModule,
        TransfersModule,
        AuctionsModule,
        ProjectsModule,
        RightTransfersModule,
        RegionalTradesModule,
        ApprovalsModule,
        EventsModule,
        WebhooksModule,
        DisclosureModule,
        ReportsModule,
      ],
      controllers: [HealthController],
      providers: [
        // Resolves keys through ApiKeyAuthenticator, which ParticipantsModule provides.
        BearerStrategy,
        // Order matters: authenticate, then rate-limit by key (the public pages by client address); roles and jurisdiction are checked
        // by AccessInterceptor below (the region tree through RegionChains, from RegionsModule).
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        // A query parameter the operation does not take: refused before the idempotency scope, which does not hold the query.
        { provide: APP_GUARD, useClass: QueryParamsGuard },
        // Idempotency outermost, so the access check's 403 is inside what it stores.
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: AccessInterceptor },
      ],
    };
  }
}
