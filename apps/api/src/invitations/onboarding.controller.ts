import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ClaimInvitationResponse, OnboardingTokenResponse } from '@gatehouse/domain';
import { Public } from '../auth/access.decorators';
import { SessionCookies } from '../auth/session-cookies';
import { ClaimInvitationDto, OnboardingQuery } from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('onboarding')
@Controller('onboarding')
export class OnboardingController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly cookies: SessionCookies,
  ) {}

  @Get('get_token')
  @Public()
  @ApiOperation({ summary: 'Check an invitation link and get a 15-minute onboarding token' })
  getToken(@Query() query: OnboardingQuery): Promise<OnboardingTokenResponse> {
    return this.invitations.onboardingToken(query.invite_link);
  }

  @Post('claim_token')
  @HttpCode(200)
  @Public()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Set the password from an invitation and open a session' })
  async claim(
    @Body() body: ClaimInvitationDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ClaimInvitationResponse> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? null;
    const { sessionToken, ...response } = await this.invitations.claim(bearer, body, request);
    this.cookies.set(reply, sessionToken);

    return response;
  }
}
