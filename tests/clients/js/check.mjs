// Writes, then queries over Flight (rows, points, $params, errors) with the official JavaScript client.
// Prints one JSON line per step; the test that runs it checks them.
import { InfluxDBClient } from '@influxdata/influxdb3-client'

const client = new InfluxDBClient({ host: process.env.HOST, token: process.env.TOKEN, database: 'sensors' })
const print = (step, value) => console.log(JSON.stringify({ step, value }, (_, v) => (typeof v === 'bigint' ? v.toString() : v)))

await client.write('home,room=Kitchen temp=21.5,co=3i 1641024000000000001\nhome,room=Living temp=22,co=1i 1641024000000000002')

const rows = []
for await (const row of client.query('SELECT room, temp, co FROM home ORDER BY time', 'sensors')) rows.push(row)
print('rows', rows)

const bound = []
for await (const row of client.query('SELECT room FROM home WHERE co > $min', 'sensors', { type: 'sql', params: { min: 2 } })) bound.push(row.room)
print('params', bound)

const points = []
for await (const p of client.queryPoints('SELECT * FROM home ORDER BY time', 'sensors')) points.push(p.asPoint('home').toLineProtocol())
print('points', points)

for (const [step, sql] of [['unknown table', 'SELECT * FROM nope']]) {
  try {
    for await (const _ of client.query(sql, 'sensors')) { /* no rows expected */ }
    print(step, 'no error')
  } catch (error) {
    print(step, error.message)
  }
}

const denied = new InfluxDBClient({ host: process.env.HOST, token: 'apiv3_not-a-token', database: 'sensors' })
try {
  for await (const _ of denied.query('SELECT 1', 'sensors')) { /* none */ }
  print('bad token', 'no error')
} catch (error) {
  print('bad token', error.message)
}

await denied.close()
await client.close()
