;;; quickfix.el --- Emacs with Eglot attached to gopls built with bidictxlint  -*- lexical-binding: t -*-

;; For cmd/bidictxlint/gopls_test.go, which runs it as
;;   emacs --batch -q -l init.el -l quickfix.el
;; where init.el is the Emacs configuration of docs/drivers.md, exactly as
;; shown there but for the gopls path (followed, with the analyses setting
;; off, by the form there that turns it off), with the environment that
;; quickfix.lua (beside it) takes: FILE, RESULT, FIX_TITLE and MODE (fix
;; or show). Eglot starts from the configuration's `eglot-ensure' hook;
;; this file reports what Flymake shows, as JSON.

(require 'eglot)
(require 'json)

;; The major mode only names the language for Eglot ("go"); go-mode is
;; not needed.
(unless (fboundp 'go-mode)
  (define-derived-mode go-mode prog-mode "Go"))

(defvar quickfix-result (list (cons 'diagnostics [])))

(defun quickfix-wait (seconds pred)
  "Process events for up to SECONDS until PRED returns non-nil."
  (let ((deadline (+ (float-time) seconds)) value)
    (while (and (not (setq value (funcall pred)))
                (< (float-time) deadline))
      (accept-process-output nil 0.1))
    value))

(defun quickfix-lsp-diag (diag)
  "The LSP diagnostic behind the Flymake diagnostic DIAG."
  (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diag))))

(defun quickfix-shown (&optional source)
  "What Flymake shows in the buffer, from SOURCE if non-nil."
  (cl-loop for d in (flymake-diagnostics)
           for lsp = (quickfix-lsp-diag d)
           when (and lsp (or (null source) (equal (plist-get lsp :source) source)))
           collect d))

(defun quickfix-record ()
  (setf (alist-get 'diagnostics quickfix-result)
        (vconcat
         (cl-loop for d in (quickfix-shown)
                  for lsp = (quickfix-lsp-diag d)
                  for range = (plist-get lsp :range)
                  collect `((source . ,(or (plist-get lsp :source) ""))
                            (message . ,(plist-get lsp :message))
                            (code . ,(or (plist-get lsp :code) ""))
                            (href . ,(or (plist-get (plist-get lsp :codeDescription) :href) ""))
                            (line . ,(plist-get (plist-get range :start) :line))
                            (col . ,(plist-get (plist-get range :start) :character))
                            (endline . ,(plist-get (plist-get range :end) :line))
                            (endcol . ,(plist-get (plist-get range :end) :character)))))))

(defun quickfix-main ()
  "Return nil on success, else the error."
  (find-file (getenv "FILE"))
  (go-mode)
  ;; eglot-ensure connects after the next command; batch Emacs runs none.
  (run-hooks 'post-command-hook)
  (unless (quickfix-wait 120 (lambda () (eglot-current-server)))
    (error "Eglot did not connect to gopls"))
  ;; Flymake waits for the buffer to be displayed, which batch Emacs
  ;; never does.
  (flymake-start)
  (if (equal (getenv "MODE") "show")
      (progn
        (unless (quickfix-wait 120 (lambda () (flymake-start) (quickfix-shown "assign")))
          (quickfix-record)
          (error "no diagnostic from the assign analyzer within 2 minutes"))
        (quickfix-wait 3 #'ignore)
        (flymake-start)
        (quickfix-wait 1 #'ignore)
        (quickfix-record)
        nil)
    (unless (quickfix-wait 120 (lambda () (flymake-start) (quickfix-shown "bidictxlint")))
      (quickfix-record)
      (error "no bidictxlint diagnostic within 2 minutes"))
    (quickfix-record)
    (let* ((diag (car (quickfix-shown "bidictxlint")))
           (server (eglot-current-server))
           ;; As M-x eglot-code-actions does on the diagnostic's range,
           ;; which sends Flymake's diagnostics there to gopls.
           (actions (eglot-code-actions (flymake-diagnostic-beg diag)
                                        (flymake-diagnostic-end diag)
                                        "quickfix"))
           (titles (mapcar (lambda (a) (plist-get a :title)) actions))
           (action (cl-find (getenv "FIX_TITLE") actions
                            :key (lambda (a) (plist-get a :title)) :test #'equal))
           (tick (buffer-modified-tick)))
      (setf (alist-get 'titles quickfix-result) (vconcat titles))
      (unless action
        (error "no code action titled %s" (getenv "FIX_TITLE")))
      ;; What M-x eglot-code-actions does with the chosen action.
      (eglot--read-execute-code-action (list action) server "quickfix")
      (quickfix-wait 10 (lambda () (/= tick (buffer-modified-tick))))
      (when (= tick (buffer-modified-tick))
        (error "the code action %s changed nothing" (plist-get action :title)))
      (setf (alist-get 'applied quickfix-result) (plist-get action :title))
      (save-buffer)
      nil)))

(let ((err (condition-case e (quickfix-main)
             (error (error-message-string e)))))
  (when err
    (setf (alist-get 'error quickfix-result) err))
  (with-temp-file (getenv "RESULT")
    (insert (json-encode quickfix-result)))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (kill-emacs 0))
