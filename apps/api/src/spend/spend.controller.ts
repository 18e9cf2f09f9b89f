import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DailyActivityResponse } from '@gatehouse/domain';
import { Allow, CurrentCaller } from '../auth/access.decorators';
import { Caller } from '../auth/principal';
import { DailyActivityQuery, GlobalSpendKeysQuery, SpendLogsQuery } from './dto/spend-queries.dto';
import { SpendReports } from './spend-reports.service';

@ApiTags('spend')
@Controller()
export class SpendController {
  constructor(private readonly reports: SpendReports) {}

  @Get('spend/logs')
  @Allow('spend.read')
  @ApiOperation({ summary: 'Spend log rows (newest first), or per-day totals with summarize' })
  logs(@Query() query: SpendLogsQuery, @CurrentCaller() caller: Caller): Promise<object[]> {
    return this.reports.logs(query, caller);
  }

  @Get('user/daily/activity')
  @Allow('spend.read')
  @ApiOperation({ summary: 'Spend, tokens and requests per day, by model and by key' })
  dailyActivity(
    @Query() query: DailyActivityQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<DailyActivityResponse> {
    return this.reports.dailyActivity(query, caller);
  }

  @Get('global/spend')
  @Allow('spend.global')
  @ApiOperation({ summary: 'Everything spent through this proxy' })
  globalSpend(): Promise<{ spend: number; max_budget: null }> {
    return this.reports.globalSpend();
  }

  @Get('global/spend/keys')
  @Allow('spend.global')
  @ApiOperation({ summary: 'The keys that spent the most' })
  globalSpendByKey(@Query() query: GlobalSpendKeysQuery): Promise<object[]> {
    return this.reports.globalSpendByKey(query.limit ?? 10);
  }
}
