import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { openApiDocument } from './document.js';

const require = createRequire(import.meta.url);
/** Swagger UI ships as static files; served locally because no CDN is reachable offline. */
export const swaggerUiDir = dirname(require.resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Palabre API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

@Controller()
export class DocsController {
  private readonly document = openApiDocument();

  @Get('openapi.json')
  openapi() {
    return this.document;
  }

  @Get('docs')
  docs(@Res() response: Response) {
    response.type('html').send(page);
  }

  @Get('docs/init.js')
  init(@Res() response: Response) {
    response.type('application/javascript').send(`window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });`);
  }
}
