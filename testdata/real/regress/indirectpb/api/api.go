// Package api hands out the pre-generics generated stream of chatgrpc,
// so that a package using it need not import chatgrpc.
package api

import (
	"context"

	"example.com/real/gen/chatgrpc"
)

// Client opens legacy chat streams.
type Client struct{ C chatgrpc.ChatClient }

// Legacy opens a legacy chat stream on ctx.
func (c *Client) Legacy(ctx context.Context) (chatgrpc.Chat_LegacyClient, error) {
	return c.C.Legacy(ctx)
}
