import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document at `/docs-json`, browsable at `/docs`. */
export function setupOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Gatehouse')
      .setDescription(
        'Self-hosted portal and gateway for LLM API keys. Speaks the LiteLLM proxy management ' +
          'API: same paths, fields and error shape.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Master key, key or session' })
      .addCookieAuth('gatehouse_session')
      .build(),
  );

  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
