import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BudgetResets } from './budget-resets';
import { SpendController } from './spend.controller';
import { SpendLedger } from './spend-ledger.service';
import { SpendLogEntity } from './spend-log.entity';
import { SpendReports } from './spend-reports.service';

/** Spend: the log of every request, running totals, budget periods and reports. */
@Module({
  imports: [TypeOrmModule.forFeature([SpendLogEntity])],
  controllers: [SpendController],
  providers: [SpendLedger, SpendReports, BudgetResets],
  exports: [SpendLedger],
})
export class SpendModule {}
