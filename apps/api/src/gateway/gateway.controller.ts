import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayRoute } from '../auth/access.decorators';
import { GatewayService } from './gateway.service';

/** OpenAI-compatible routes, with and without the `/v1` prefix, for virtual keys. */
@ApiTags('gateway')
@ApiBearerAuth()
@Controller()
export class GatewayController {
  constructor(private readonly gateway: GatewayService) {}

  @Post(['chat/completions', 'v1/chat/completions'])
  @HttpCode(200)
  @GatewayRoute()
  @ApiOperation({ summary: 'Chat completion through the upstream of the model (SSE with stream)' })
  chat(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.gateway.forward('chat', request, reply);
  }

  @Post(['embeddings', 'v1/embeddings'])
  @HttpCode(200)
  @GatewayRoute()
  @ApiOperation({ summary: 'Embeddings through the upstream of the model' })
  embeddings(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.gateway.forward('embeddings', request, reply);
  }

  @Get(['models', 'v1/models'])
  @GatewayRoute()
  @ApiOperation({ summary: 'The models this key may use' })
  models(@Req() request: FastifyRequest): Promise<object> {
    return this.gateway.models(request);
  }
}
