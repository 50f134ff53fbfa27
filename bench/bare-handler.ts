/**
 * The cold-start baseline (`bench/cold-start.ts`): the least a Lambda handler in this stack can be,
 * middy around one DynamoDB GetItem through SDK v3, no Powertools, no validation.
 */
import { DynamoDBClient, GetItemCommand, type GetItemCommandOutput } from "@aws-sdk/client-dynamodb";
import middy from "@middy/core";

const client = new DynamoDBClient({});

/** Read one item by key from `TABLE_NAME`. */
export const handler = middy(
  (event: { readonly pk: string; readonly sk: string }): Promise<GetItemCommandOutput> =>
    client.send(
      new GetItemCommand({
        TableName: process.env.TABLE_NAME,
        Key: { pk: { S: event.pk }, sk: { S: event.sk } },
      }),
    ),
);
