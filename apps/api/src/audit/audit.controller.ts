import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { AuditQuery } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Allow('audit.read')
  @ApiOperation({ summary: 'Changes to users, invitations, keys and sessions, newest first' })
  list(@Query() query: AuditQuery) {
    return this.audit.list(query);
  }
}
