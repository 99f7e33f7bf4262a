// Package ext is another package: its helpers are not followed.
package ext

import "example.com/real/gen/chatgrpc"

// Drain receives until the stream ends.
func Drain(s chatgrpc.Chat_LegacyClient) error {
	for {
		if _, err := s.Recv(); err != nil {
			return err
		}
	}
}
