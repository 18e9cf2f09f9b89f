import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DeleteKeysResponse,
  GeneratedKey,
  KeyInfo,
  KeyInfoResponse,
  KeyListResponse,
} from '@gatehouse/domain';
import { Allow, AlsoCallingKey, CurrentCaller } from '../auth/access.decorators';
import { Caller } from '../auth/principal';
import {
  DeleteKeysDto,
  GenerateKeyDto,
  KeyInfoQuery,
  KeyListQuery,
  KeyRefDto,
  RegenerateKeyDto,
  UpdateKeyDto,
} from './dto/key-requests.dto';
import { KeyListService } from './key-list.service';
import { KeysService } from './keys.service';

@ApiTags('keys')
@Controller('key')
export class KeysController {
  constructor(
    private readonly keys: KeysService,
    private readonly keyList: KeyListService,
  ) {}

  @Post('generate')
  @HttpCode(200)
  @Allow('keys.write')
  @ApiOperation({ summary: 'Create a key; its secret is in this answer only' })
  generate(@Body() body: GenerateKeyDto, @CurrentCaller() caller: Caller): Promise<GeneratedKey> {
    return this.keys.generate(body, caller);
  }

  @Get('info')
  @Allow('keys.read')
  @AlsoCallingKey()
  @ApiOperation({ summary: 'One key without its secret; default: the calling key' })
  info(@Query() query: KeyInfoQuery, @CurrentCaller() caller: Caller): Promise<KeyInfoResponse> {
    return this.keys.info(query.key, caller);
  }

  @Get('list')
  @Allow('keys.read')
  @ApiOperation({ summary: 'Keys page by page: own keys, or all for admin roles' })
  list(@Query() query: KeyListQuery, @CurrentCaller() caller: Caller): Promise<KeyListResponse> {
    return this.keyList.list(query, caller);
  }

  @Post('update')
  @HttpCode(200)
  @Allow('keys.write')
  @ApiOperation({ summary: 'Change the fields given of a key' })
  update(@Body() body: UpdateKeyDto, @CurrentCaller() caller: Caller): Promise<KeyInfo> {
    return this.keys.update(body, caller);
  }

  @Post('delete')
  @HttpCode(200)
  @Allow('keys.write')
  @ApiOperation({ summary: 'Delete keys by key or alias, all or nothing' })
  delete(
    @Body() body: DeleteKeysDto,
    @CurrentCaller() caller: Caller,
  ): Promise<DeleteKeysResponse> {
    return this.keys.delete({ keys: body.keys, aliases: body.key_aliases }, caller);
  }

  @Post('regenerate')
  @HttpCode(200)
  @Allow('keys.write')
  @ApiOperation({
    summary: 'A new secret for the same key; the old one may work for a grace period',
  })
  regenerate(
    @Body() body: RegenerateKeyDto,
    @CurrentCaller() caller: Caller,
  ): Promise<GeneratedKey> {
    return this.keys.regenerate(body, caller);
  }

  @Post(':key/regenerate')
  @HttpCode(200)
  @Allow('keys.write')
  @ApiOperation({ summary: 'A new secret for the key in the path' })
  regenerateInPath(
    @Param('key') key: string,
    @Body() body: RegenerateKeyDto,
    @CurrentCaller() caller: Caller,
  ): Promise<GeneratedKey> {
    return this.keys.regenerate({ ...body, key }, caller);
  }

  @Post('block')
  @HttpCode(200)
  @Allow('keys.block')
  @ApiOperation({ summary: 'Block a key: it is refused as a credential until unblocked' })
  block(@Body() body: KeyRefDto, @CurrentCaller() caller: Caller): Promise<KeyInfo> {
    return this.keys.setBlocked(body.key, true, caller);
  }

  @Post('unblock')
  @HttpCode(200)
  @Allow('keys.block')
  @ApiOperation({ summary: 'Unblock a key' })
  unblock(@Body() body: KeyRefDto, @CurrentCaller() caller: Caller): Promise<KeyInfo> {
    return this.keys.setBlocked(body.key, false, caller);
  }
}
