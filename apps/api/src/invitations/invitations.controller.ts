import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Invitation } from '@gatehouse/domain';
import { Allow, CurrentCaller } from '../auth/access.decorators';
import { Caller } from '../auth/principal';
import { InvitationIdQuery, NewInvitationDto, UpdateInvitationDto } from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('invitations')
@Controller('invitation')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post('new')
  @HttpCode(200)
  @Allow('invitations.write')
  @ApiOperation({ summary: 'A link, valid 7 days, that lets the user set a password' })
  create(@Body() body: NewInvitationDto, @CurrentCaller() caller: Caller): Promise<Invitation> {
    return this.invitations.create(body.user_id, caller, body.send_invite_email === true);
  }

  @Get('info')
  @Allow('invitations.read')
  @ApiOperation({ summary: 'One invitation' })
  info(@Query() query: InvitationIdQuery): Promise<Invitation> {
    return this.invitations.info(query.invitation_id);
  }

  @Post('update')
  @HttpCode(200)
  @Allow('invitations.write')
  @ApiOperation({ summary: 'Mark an invitation accepted or open' })
  update(@Body() body: UpdateInvitationDto, @CurrentCaller() caller: Caller): Promise<Invitation> {
    return this.invitations.update(body.invitation_id, body.is_accepted, caller);
  }

  @Post('delete')
  @HttpCode(200)
  @Allow('invitations.write')
  @ApiOperation({ summary: 'Delete an invitation; its link stops working' })
  delete(@Body() body: InvitationIdQuery, @CurrentCaller() caller: Caller): Promise<Invitation> {
    return this.invitations.delete(body.invitation_id, caller);
  }
}
