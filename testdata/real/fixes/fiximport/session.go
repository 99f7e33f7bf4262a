package fiximport

import stdctx "context"

type session struct{ ctx stdctx.Context }
