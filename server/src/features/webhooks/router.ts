import { Router, type Request, type Response } from 'express';
import { idSchema, type WebhookProvider } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../http/errors.ts';
import { WebhookEndpointService } from '../webhook-endpoints/service.ts';
import { DeliveryLog } from './deliveries.ts';
import { knownError, type Delivery, type Receiver } from './delivery.ts';
import { elevenLabsReceiver } from './elevenlabs.ts';
import { standardReceiver } from './standard.ts';
import { twilioReceiver } from './twilio.ts';

/**
 * The inbound webhooks (API.md §6), mounted at `/webhooks` ahead of any body
 * parser: signatures are over the raw bytes, which each receiver reads itself.
 * The tenant is the endpoint's; every delivery that names a live endpoint gets a
 * line in its delivery log, whatever its answer.
 */
export function webhookRouter(ctx: AppContext): Router {
  const endpoints = new WebhookEndpointService(ctx);
  const deliveries = new DeliveryLog(ctx);
  const receivers: Record<WebhookProvider, Receiver> = {
    twilio: twilioReceiver(ctx),
    elevenlabs: elevenLabsReceiver(ctx),
    standard: standardReceiver(ctx),
  };

  const handle = (provider: WebhookProvider) => async (req: Request, res: Response) => {
    const receivedAt = new Date();
    const id = idSchema.safeParse(req.params.endpointId);
    let endpoint;
    try {
      endpoint = id.success ? await endpoints.forDelivery(provider, id.data) : null;
    } catch (err) {
      throw knownError(err) ?? err;
    }
    if (!endpoint) throw notFound('webhook endpoint');
    const d: Delivery = {
      endpoint,
      tenantId: endpoint.doc.tenantId,
      actor: { type: 'webhook', id: endpoint.doc._id, name: provider },
      req,
      res,
      receivedAt,
      verified: false,
      providerKey: null,
    };
    const line = { tenantId: d.tenantId, endpointId: endpoint.doc._id, provider };
    try {
      const outcome = await receivers[provider](d);
      res.status(200).json(outcome === 'duplicate' ? { ok: true, duplicate: true } : { ok: true });
      // The change is applied and acknowledged; its log line (which never throws) need not hold up the provider.
      void deliveries.record({ ...line, providerKey: d.providerKey, verified: true, result: outcome, status: 200, errorCode: null });
    } catch (err) {
      const known = knownError(err);
      const status = known?.status ?? 500;
      // Nothing of an unverified request is kept: not even the key it claims.
      await deliveries.record({
        ...line,
        providerKey: d.verified ? d.providerKey : null,
        verified: d.verified,
        result: status >= 500 ? 'failed' : 'rejected',
        status,
        errorCode: known?.code ?? 'internal',
      });
      throw known ?? err;
    }
  };

  const router = Router();
  router.post('/twilio/:endpointId', handle('twilio'));
  // Twilio calls with GET when the call was set up with StatusCallbackMethod=GET.
  router.get('/twilio/:endpointId', handle('twilio'));
  router.post('/elevenlabs/:endpointId', handle('elevenlabs'));
  router.post('/standard/:endpointId', handle('standard'));
  return router;
}
