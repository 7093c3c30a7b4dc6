// Faults on the wire: a loopback HTTP proxy in front of moto that answers a seeded share of AWS calls
// (about 30%) with what AWS answers under load, in each protocol's own shape, or drops the
// connection. Some drops come after moto has applied the call, so a retried write meets the write
// its first attempt already made. Deterministic for a seed and call order, bounded (a call is never
// faulted more than `maxConsecutive` times in a row), and it closes by itself after 10 minutes.
//
// Shapes, as the simulation believes them (__tests__/sim/errors.ts):
//   ECS (JSON 1.1): 400 {"__type":"ThrottlingException"}
//     https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html
//   ELBv2, Auto Scaling (query, XML): 400 <ErrorResponse><Error><Code>Throttling</Code>...
//     https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/CommonErrors.html
//   EC2 (query, XML): 503 <Response><Errors><Error><Code>RequestLimitExceeded</Code>...
//     https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
import http from 'node:http'
import { listenOnLoopback } from './loopback.js'
import { deriveSeed, seededRandom } from '../__tests__/sim/random.js'

export type FaultKind = 'throttled' | 'unavailable' | 'dropped' | 'dropped-after-apply'

export interface Fault {
  /** The call's number, from 1, in the order the proxy received them. */
  call: number
  service: string
  operation: string
  kind: FaultKind
}

export interface FaultProxyOptions {
  /** moto's endpoint (loopback). */
  target: string
  seed: number
  /** Share of calls faulted (0.3). */
  rate?: number
  /** A call faulted this many times in a row goes through the next time (2). */
  maxConsecutive?: number
  /** Only this kind of fault (a test of one protocol shape); by default the mix `pick` draws. */
  only?: FaultKind
}

export interface FaultProxy {
  /** What to give the action as AWS_ENDPOINT_URL. */
  url: string
  calls: number
  faults: Fault[]
  close(): Promise<void>
}

const READ = /^(Describe|List|Get)/

/** The service a SigV4-signed request is for, from its credential scope (`.../us-east-1/ecs/aws4_request`). */
function serviceOf(req: http.IncomingMessage): string {
  return (
    /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '')?.[1] ??
    'unknown'
  )
}

/** ECS names the operation in X-Amz-Target; the query protocols in the form body's Action. */
function operationOf(req: http.IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target']
  if (typeof target === 'string') return target.split('.').pop() ?? target
  return new URLSearchParams(body).get('Action') ?? 'unknown'
}

function errorAnswer(service: string, kind: 'throttled' | 'unavailable', requestId: string) {
  if (service === 'ecs') {
    const type = kind === 'throttled' ? 'ThrottlingException' : 'ServerException'
    return {
      status: kind === 'throttled' ? 400 : 503,
      type: 'application/x-amz-json-1.1',
      body: JSON.stringify({
        __type: type,
        message: kind === 'throttled' ? 'Rate exceeded' : 'Service unavailable'
      })
    }
  }
  if (service === 'ec2') {
    const code = kind === 'throttled' ? 'RequestLimitExceeded' : 'Unavailable'
    return {
      status: 503,
      type: 'text/xml',
      body: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${kind === 'throttled' ? 'Request limit exceeded.' : 'The server is overloaded.'}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
    }
  }
  const code = kind === 'throttled' ? 'Throttling' : 'ServiceUnavailable'
  return {
    status: kind === 'throttled' ? 400 : 503,
    type: 'text/xml',
    body: `<ErrorResponse><Error><Type>${kind === 'throttled' ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${kind === 'throttled' ? 'Rate exceeded' : 'Service unavailable'}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  }
}

/**
 * Writes moto applies a second time where AWS refuses the repeat: EnterStandby of an instance already
 * in Standby answers ValidationError on AWS (the instance is not InService), and the action reads the
 * group back; moto moves it again and decrements the desired capacity twice, which no AWS account
 * does. A drop after moto applied one of these would test moto, so it is dropped before instead
 * (the simulation models AWS's refusal: __tests__/sim/autoscaling/instances.ts).
 */
const MOTO_REAPPLIES = new Set(['EnterStandby', 'ExitStandby'])

/** Which fault, if any: writes get more drops after apply (the case retries must survive). */
function pick(random: () => number, rate: number, operation: string): FaultKind | undefined {
  if (random() >= rate) return undefined
  const r = random()
  if (READ.test(operation)) return r < 0.65 ? 'throttled' : r < 0.85 ? 'unavailable' : 'dropped'
  if (r >= 0.6) return MOTO_REAPPLIES.has(operation) ? 'dropped' : 'dropped-after-apply'
  return r < 0.4 ? 'throttled' : r < 0.5 ? 'unavailable' : 'dropped'
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(opts.target)
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname))
    throw new Error(`the fault proxy forwards to loopback only, not ${target.hostname}`)
  const random = seededRandom(deriveSeed(opts.seed, 'wire-faults'))
  const rate = opts.rate ?? 0.3
  const maxConsecutive = opts.maxConsecutive ?? 2
  const inARow = new Map<string, number>()
  const state = { calls: 0, faults: [] as Fault[] }

  const forward = (req: http.IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const out = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        res => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) })
          )
          res.on('error', reject)
        }
      )
      out.on('error', reject)
      out.end(body)
    })

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks)
      const call = ++state.calls
      const service = serviceOf(req)
      const operation = operationOf(req, body.toString('utf8'))
      const key = `${service}:${operation}`
      const drawn = (inARow.get(key) ?? 0) >= maxConsecutive ? undefined : pick(random, rate, operation)
      const kind = drawn && (opts.only ?? drawn)
      inARow.set(key, kind ? (inARow.get(key) ?? 0) + 1 : 0)
      if (kind) state.faults.push({ call, service, operation, kind })
      try {
        if (kind === 'throttled' || kind === 'unavailable') {
          const e = errorAnswer(service, kind, `zdt-proxy-${call}`)
          res.writeHead(e.status, { 'content-type': e.type, 'x-amzn-requestid': `zdt-proxy-${call}` })
          return res.end(e.body)
        }
        if (kind === 'dropped') return req.socket.destroy()
        const answer = await forward(req, body)
        // Moto has applied the call; the caller never hears of it.
        if (kind === 'dropped-after-apply') return req.socket.destroy()
        res.writeHead(answer.status, answer.headers)
        res.end(answer.body)
      } catch {
        req.socket.destroy()
      }
    })
  })
  const { url, close } = await listenOnLoopback(server)
  return Object.assign(state, { url, close })
}
