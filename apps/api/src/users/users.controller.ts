import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DeleteUsersResponse,
  NewUserResponse,
  UpdateUserResponse,
  UserInfoResponse,
  UserListResponse,
} from '@gatehouse/domain';
import { Allow, CurrentCaller } from '../auth/access.decorators';
import { Caller } from '../auth/principal';
import { NewUserDto } from './dto/new-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { DeleteUsersDto, UserInfoQuery, UserListQuery } from './dto/user-queries.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('user')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post('new')
  @HttpCode(200)
  @Allow('users.write')
  @ApiOperation({ summary: 'Add an internal user (and, by default, a key for them)' })
  create(@Body() body: NewUserDto, @CurrentCaller() caller: Caller): Promise<NewUserResponse> {
    return this.users.create(body, caller);
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
}
