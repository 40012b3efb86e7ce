package cmd

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/mindnet/mindnet/inference/modelid"
)

// modelDigestCmd prints a model folder's digest, the value a subnet records on chain, so that an owner
// can set it and anyone can check a folder against it.
func modelDigestCmd() *cobra.Command {
	var files bool
	cmd := &cobra.Command{
		Use:   "model-digest DIR",
		Short: "Print the digest of a model folder, as a subnet records it on chain",
		Long: `Prints the SHA-256 digest of the Hugging Face model folder DIR: the SHA-256 of the lines
"<sha256 of file>  <file name>" for config.json, tokenizer.json and every top-level *.safetensors file,
sorted by name. With --files it first prints those lines, the manifest the digest is taken over. The
same digest comes from coreutils:

  cd DIR && sha256sum config.json tokenizer.json *.safetensors | LC_ALL=C sort -k 2 | sha256sum`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fsys := os.DirFS(args[0])
			list, err := modelid.Files(fsys, ".")
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			digest := modelid.DigestOf(list)
			out := cmd.OutOrStdout()
			if files {
				if _, err := out.Write(modelid.Manifest(list)); err != nil {
					return err
				}
			}
			_, err = fmt.Fprintln(out, digest)
			return err
		},
	}
	cmd.Flags().BoolVar(&files, "files", false, "print the manifest (one line per file) before the digest")
	return cmd
}
