set terminal pngcairo size 1200,450
set output 'density-sweep.png'
set multiplot layout 1,2
set title 'density against nodes (30 pods per node, 16 cores)'
set xlabel 'nodes'
set ylabel 'pods/s'
set y2label 'peak RSS (MB)'
set ytics nomirror
set y2tics
set key top left
plot 'density-sweep.tsv' index 0 using 1:4 with linespoints title 'pods/s', '' index 0 using 1:7 axes x1y2 with linespoints title 'peak RSS MB'
set title 'density against cores (1000 nodes)'
set xlabel 'cores'
unset y2label
unset y2tics
plot 'density-sweep.tsv' index 1 using 3:4 with linespoints title 'pods/s'
unset multiplot
