import { Body, Controller, forwardRef, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DeleteUsersResponse,
  NewUserResponse,
  UpdateUserResponse,
  User,
  UserInfoResponse,
  UserListResponse,
} from '@gatehouse/domain';
import { Allow, CurrentCaller } from '../auth/access.decorators';
import { Caller } from '../auth/principal';
import { NewUserDto } from './dto/new-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { InvitationsService } from '../invitations/invitations.service';
import { DeleteUsersDto, UserInfoQuery, UserListQuery, UserRefDto } from './dto/user-queries.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('user')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    @Inject(forwardRef(() => InvitationsService))
    private readonly invitations: InvitationsService,
  ) {}

  @Post('new')
  @HttpCode(200)
  @Allow('users.write')
  @ApiOperation({ summary: 'Add an internal user (and, by default, a key for them)' })
  async create(
    @Body() body: NewUserDto,
    @CurrentCaller() caller: Caller,
  ): Promise<NewUserResponse & { invitation_id?: string; email_status?: string }> {
    if (body.send_invite_email) {
      this.invitations.checkCanEmail(body.user_email);
    }

    const user = await this.users.create(body, caller);
    if (!body.send_invite_email) {
      return user;
    }

    const invitation = await this.invitations.create(user.user_id, caller, true);

    return { ...user, invitation_id: invitation.id, email_status: invitation.email_status };
  }

  @Get('info')
  @Allow('users.read')
  @ApiOperation({ summary: 'A user with their keys; without user_id, the caller' })
  info(@Query() query: UserInfoQuery, @CurrentCaller() caller: Caller): Promise<UserInfoResponse> {
    return this.users.info(query.user_id, caller);
  }

  @Get('list')
  @Allow('users.list')
  @ApiOperation({ summary: 'Every user, filtered, sorted and paged' })
  list(@Query() query: UserListQuery): Promise<UserListResponse> {
    return this.users.list(query);
  }

  @Post('update')
  @HttpCode(200)
  @Allow('users.write')
  @ApiOperation({ summary: 'Change the fields given of an existing user' })
  update(
    @Body() body: UpdateUserDto,
    @CurrentCaller() caller: Caller,
  ): Promise<UpdateUserResponse> {
    return this.users.update(body, caller);
  }

  @Post('delete')
  @HttpCode(200)
  @Allow('users.write')
  @ApiOperation({ summary: 'Delete users with their keys, invitations and sessions' })
  delete(
    @Body() body: DeleteUsersDto,
    @CurrentCaller() caller: Caller,
  ): Promise<DeleteUsersResponse> {
    return this.users.delete(body.user_ids, caller);
  }

  @Post('block')
  @HttpCode(200)
  @Allow('users.write')
  @ApiOperation({ summary: 'Block a user: no sign-in, sessions ended, keys refused' })
  block(@Body() body: UserRefDto, @CurrentCaller() caller: Caller): Promise<User> {
    return this.users.setBlocked(body.user_id, true, caller);
  }

  @Post('unblock')
  @HttpCode(200)
  @Allow('users.write')
  @ApiOperation({ summary: 'Unblock a user' })
  unblock(@Body() body: UserRefDto, @CurrentCaller() caller: Caller): Promise<User> {
    return this.users.setBlocked(body.user_id, false, caller);
  }

  @Post('password/reset')
  @HttpCode(200)
  @Allow('users.write')
  @ApiOperation({ summary: 'A one-day link for the user to choose a new password (emailed)' })
  async resetPassword(@Body() body: UserRefDto, @CurrentCaller() caller: Caller) {
    const reset = await this.invitations.createReset(body.user_id, caller);

    // The link is the admin's to pass on only when it cannot be emailed.
    const link = reset.email_status === 'disabled' ? this.invitations.linkFor(reset.id) : null;

    return { user_id: body.user_id, invitation: reset, reset_link: link };
  }

  @Post('sessions/end_all')
  @HttpCode(200)
  @Allow('users.write')
  @ApiOperation({ summary: 'End every console session of a user' })
  async endSessions(@Body() body: UserRefDto, @CurrentCaller() caller: Caller) {
    await this.users.findOrFail(body.user_id);
    const ended = await this.users.endSessions(body.user_id, caller, 'ended by an admin');

    return { user_id: body.user_id, sessions_ended: ended };
  }
}
