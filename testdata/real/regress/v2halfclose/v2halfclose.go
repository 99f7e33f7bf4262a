// A sync.WaitGroup sender that half-closes a connect-go v2 bidi stream
// with CloseSend at its end, beside a receiver that reads to the end and
// closes: the sender strands no one, as with v1's CloseRequest. Not
// reported (it was, on connect-go v2's own tests: CloseSend was not taken
// for a half-close).
package v2halfclose

import (
	"context"
	"errors"
	"io"
	"sync"

	"example.com/real/gen/chatv2"
)

func check(err error) {}

func bidi(ctx context.Context, c *chatv2.ChatClient) {
	stream, err := c.Chat(ctx)
	check(err)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for range 3 {
			err := stream.Send(&chatv2.Msg{})
			check(err)
		}
		check(stream.CloseSend())
	}()
	go func() {
		defer wg.Done()
		for {
			_, err := stream.Receive()
			if errors.Is(err, io.EOF) {
				break
			}
			check(err)
		}
		check(stream.Close())
	}()
	wg.Wait()
}
